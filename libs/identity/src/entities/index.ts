export * from './agency.entity';
export * from './invitation.entity';
export * from './refresh-token.entity';
export * from './session.entity';
export * from './signing-key.entity';
export * from './user.entity';
