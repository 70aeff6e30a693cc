export { createLiveKitAdapter, type LiveKitAdapterOptions } from './adapter.ts';
export { toLiveKitError } from './errors.ts';
export { DEFAULT_RETRY, type RetryOptions } from './retry.ts';
export {
  verifyWebhook,
  WebhookVerificationError,
  type WebhookEventData,
  type WebhookRejection,
} from './webhook.ts';
export type * from './port.ts';
export { fencedPort, type Fence } from './fenced.ts';
