export { AbandonedChatsService } from './abandoned-chats.service';
export { LiveHelpCors } from './livehelp-cors';
export { LIVEHELP_NAMESPACE, livehelpRooms } from './livehelp-events';
export { LiveHelpModule } from './livehelp.module';
export { LiveHelpSettingsService } from './settings.service';
export { REPRESENTATIVE_ROLES } from './representatives';
export { isAllowedPushUrl, parseOrigin } from './url-policy';
export * from './migrations';
