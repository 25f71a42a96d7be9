import { ValidateIf } from 'class-validator';

/**
 * For fields that may be left out but never set to null (class-validator's IsOptional lets
 * null through, and a null would then reach a NOT NULL column). With it, a null is checked
 * by the field's other rules and refused with their message.
 */
export const OptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: unknown, value: unknown) => value !== undefined);
