import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { LocationDto } from './dto/location.dto';
import { LocationsService } from './locations.service';

@ApiTags('alerts')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('me/location')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Put()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The position as stored.' })
  @ApiErrors(...BODY_ERRORS)
  @ApiOperation({
    summary: 'Report my position (opt-in)',
    description:
      'Stores the latest position; active alerts of my agency whose area contains it reach me ' +
      'at once. Positions older than LOCATION_MAX_AGE_MINUTES are not used for targeting.',
  })
  report(@CurrentUser() principal: Principal, @Body() dto: LocationDto) {
    return this.locations.report(principal, dto);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The position is forgotten.' })
  @ApiOperation({ summary: 'Forget my position', description: 'Stops location targeting.' })
  async forget(@CurrentUser() principal: Principal): Promise<void> {
    await this.locations.forget(principal);
  }
}

@ApiTags('alerts')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('responders/positions')
export class ResponderPositionsController {
  constructor(private readonly locations: LocationsService) {}

  @Get()
  @ApiOkResponse({ description: 'The last position of each user who shares it.' })
  @ApiOperation({
    summary: "Where the agency's people are",
    description:
      "Admins, dispatchers and observers: the last position of each of the agency's users who " +
      'share theirs, younger than LOCATION_MAX_AGE_MINUTES. Others get 403.',
  })
  list(@CurrentUser() principal: Principal) {
    return this.locations.positionsForStaff(principal);
  }
}
