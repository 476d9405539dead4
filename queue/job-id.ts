/**
 * Idempotent BullMQ job ids derived from delivery ids. BullMQ refuses ids that contain `:` or that are
 * integers, and two different deliveries must never share a job id, so the mapping escapes instead of
 * replacing: characters outside `[A-Za-z0-9._-]` become `%XX` (UTF-8 bytes), `%` included. The same
 * delivery id always gives the same job id, and different ones never collide.
 */
import { LoomError } from '../src/errors/index.js';

/** Prefix that keeps every id non-numeric (BullMQ rejects integer custom ids). */
export const deliveryJobIdPrefix = 'd-';

/** Longest delivery id accepted; real ones (GUIDs, Slack event ids) are far shorter. */
export const maxDeliveryIdLength = 200;

const safeCharacter = /[A-Za-z0-9._-]/;

function escapeCharacter(character: string): string {
  if (safeCharacter.test(character)) return character;
  return [...Buffer.from(character, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

/**
 * The job id for a delivery. Throws `LoomError('invalid_input')` for an empty or blank id, or one
 * longer than `maxDeliveryIdLength`.
 */
export function jobIdForDelivery(deliveryId: string): string {
  if (deliveryId.trim() === '') {
    throw new LoomError('invalid_input', 'delivery id must not be empty');
  }
  if (deliveryId.length > maxDeliveryIdLength) {
    throw new LoomError('invalid_input', `delivery id is longer than ${maxDeliveryIdLength} characters`, {
      details: { length: deliveryId.length },
    });
  }
  return deliveryJobIdPrefix + [...deliveryId].map(escapeCharacter).join('');
}
