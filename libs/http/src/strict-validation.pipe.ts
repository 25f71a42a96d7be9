import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';

const BODY_MAY_BE_ABSENT = 'tocsin:bodyMayBeAbsent';

/**
 * On a DTO whose fields are all optional: a request sent without any body (a bare
 * `POST …/cancel`) is read as `{}` instead of being refused. A body that is there must still
 * be a JSON object.
 */
export const BodyMayBeAbsent = (): ClassDecorator => (target) =>
  Reflect.defineMetadata(BODY_MAY_BE_ABSENT, true, target);

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
    if (value === undefined && metadata.type === 'body' && mayBeAbsent(metadata)) value = {};
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

function mayBeAbsent(metadata: ArgumentMetadata): boolean {
  const { metatype } = metadata;

  return (
    typeof metatype === 'function' && Reflect.getMetadata(BODY_MAY_BE_ABSENT, metatype) === true
  );
}
