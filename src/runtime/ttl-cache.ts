/** A small cache whose entries expire after `ttlMs`; past `max` entries the oldest go first. */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  constructor(private readonly ttlMs: number, private readonly max: number, private readonly now = Date.now) {}
  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
