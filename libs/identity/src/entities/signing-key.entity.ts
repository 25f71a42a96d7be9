import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A token signing key shared by every API process. */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn('text')
  kid!: string;

  @Column({ type: 'text' })
  algorithm!: 'ES256';

  @Column({ name: 'private_key_pem', type: 'text', select: false })
  privateKeyPem!: string;

  @Column({ name: 'public_key_pem', type: 'text' })
  publicKeyPem!: string;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
