import { AsyncLocalStorage } from "node:async_hooks";

type Log = { error: (obj: object, msg: string) => void };

const delivery = new AsyncLocalStorage<string>();
let installed: Log | undefined;

/** Runs `fn` with `id` as the current delivery, so a stray error it leaves behind is logged with it. */
export function withDelivery<T>(id: string | undefined, fn: () => Promise<T>): Promise<T> {
  return id ? delivery.run(id, fn) : fn();
}

/** The delivery whose handler is running (undefined outside one). */
export function currentDelivery(): string | undefined {
  return delivery.getStore();
}

/**
 * Logs, instead of dying on, an unhandled rejection or uncaught exception, with the delivery id
 * when the error came from a handler's work. Installed once per process; later calls only swap
 * the logger. Returns a function that removes the guards (for tests).
 */
export function installProcessGuards(log: Log): () => void {
  const first = installed === undefined;
  installed = log;
  if (!first) return () => undefined;
  const onRejection = (reason: unknown) => installed?.error({ err: reason, delivery: currentDelivery() }, "unhandled rejection (the server keeps running)");
  const onException = (error: Error) => installed?.error({ err: error, delivery: currentDelivery() }, "uncaught exception (the server keeps running)");
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return () => {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
    installed = undefined;
  };
}
