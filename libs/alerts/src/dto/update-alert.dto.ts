import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateAlertDto } from './create-alert.dto';

/** The body of `POST /api/alerts/:id/update`: any field of the alert, all optional. */
export class UpdateAlertDto extends PartialType(
  OmitType(CreateAlertDto, ['dryRun', 'escalation', 'status', 'scope'] as const),
) {}
