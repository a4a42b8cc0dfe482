/**
 * Freezes `Date` (not timers) at one instant, so fixtures signed with fixed times stay valid:
 * `new Date()` and `Date.now()` answer the frozen time, other constructors work as usual.
 */
export function freezeDate(iso: string): () => void {
  const RealDate = Date;
  const fixed = RealDate.parse(iso);
  class FrozenDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(fixed);
      else super(...(args as [string]));
    }
    static override now() {
      return fixed;
    }
  }
  globalThis.Date = FrozenDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}
