import { Injectable } from '@nestjs/common';
import { DomainError } from '@tocsin/common';
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/**
 * OWASP's argon2id settings: 19 MiB, two passes, one lane. The Rust binding ships a binary per
 * platform through optional dependencies; the C binding's prebuilt Linux binary crashed on load
 * here, and building it needs a compiler on every machine.
 */
const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 12;
/** Longer inputs only make hashing a denial-of-service lever. */
export const PASSWORD_MAX_LENGTH = 256;

/** Hashing and checking passwords (argon2id), and the one password rule. */
@Injectable()
export class Passwords {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2Hash(password, ARGON2_OPTIONS);
  }

  /**
   * Checks a password against a stored hash. Without a hash (no such user, or no password
   * yet) a dummy hash is checked, so the answer takes as long as for a real account.
   */
  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (password.length > PASSWORD_MAX_LENGTH) return false;
    this.dummyHash ??= this.hash('tocsin-dummy-password-for-timing');
    const target = hash ?? (await this.dummyHash);
    const matches = await argon2Verify(target, password).catch(() => false);

    return matches && hash !== null && hash !== undefined;
  }

  /** The password rule: long enough, not absurdly long, not the email. */
  assertAcceptable(password: string, email: string): void {
    if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
      throw new DomainError(
        'invalid',
        'password.length',
        `a password has ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
      );
    }
    if (password.trim().toLowerCase() === email.toLowerCase()) {
      throw new DomainError('invalid', 'password.is_email', 'a password must not be the email');
    }
  }
}
