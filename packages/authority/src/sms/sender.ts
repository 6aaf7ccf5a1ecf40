/**
 * Sends one text message. Implementations throw `Problem(502, 'sms_unavailable')` when the message
 * could not be handed over, so the caller can leave its state as it was.
 */
export interface SmsSender {
  send(phone: string, message: string): Promise<void>;
}
