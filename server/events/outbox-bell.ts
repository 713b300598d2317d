/**
 * An in-process signal that a write may have recorded an event, so that a delivery worker in
 * the same process starts a pass at once instead of waiting out its idle poll. It carries no
 * data and promises nothing: the outbox table stays the truth, and a worker in another process
 * (`wth worker`, another instance) still finds the event on its next poll.
 */
export class OutboxBell {
  readonly #listeners = new Set<() => void>();

  ring(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
