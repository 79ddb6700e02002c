// The message catalogue for customer and staff email: pure rendering and threading, no I/O.
export { renderEmail } from './render';
export type { RenderOptions } from './context';
export {
  DEFAULT_MAIL_DOMAIN,
  stepMessageId,
  threadHeaders,
  threadRootId,
  type ThreadHeaders,
} from './headers';
export { formatDate, formatDateTime, formatMoney } from './format';
export { escapeHtml } from './html';
export * from './types';
