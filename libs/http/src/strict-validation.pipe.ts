import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';

/**
 * The global validation pipe: unknown fields are refused rather than dropped, values are
 * converted to their DTO types, and a body that is not a JSON object is refused outright.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const expectsObject =
      metadata.type === 'body' && typeof metadata.metatype === 'function' && !isBuiltIn(metadata);
    if (expectsObject && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new BadRequestException('the request body must be a JSON object');
    }

    return super.transform(value, metadata);
  }
}

function isBuiltIn(metadata: ArgumentMetadata): boolean {
  return [String, Number, Boolean, Array, Object].includes(
    metadata.metatype as unknown as StringConstructor,
  );
}
