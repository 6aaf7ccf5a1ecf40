/** The development adapter's outbox. Numbers are stored masked; the message is kept whole. */
export interface OutboxMessage {
  to: string;
  message: string;
  sentAt: Date;
}

export interface SmsOutbox {
  append(message: OutboxMessage): Promise<void>;
  /** Newest first; `to` filters on the masked number. */
  latest(options: { limit: number; to?: string }): Promise<OutboxMessage[]>;
}
