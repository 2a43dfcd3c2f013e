import nock from "nock";
import { afterEach, beforeEach, expect } from "vitest";
import { createTestApp, type TestApp } from "./test-app.js";

/**
 * A fresh App on nock for every test of the file: no real network, and after each test every
 * mock must have been used and every request must have matched GitHub's OpenAPI description.
 * The returned object always points at the current test's App.
 */
export function nockedApp(): TestApp {
  let current: TestApp;
  beforeEach(async () => {
    nock.disableNetConnect();
    current = await createTestApp();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(current.violations).toEqual([]);
    expect(pending).toEqual([]);
  });
  return {
    get probot() {
      return current.probot;
    },
    get requests() {
      return current.requests;
    },
    get violations() {
      return current.violations;
    },
    calls: () => current.calls(),
    writesInFlight: () => current.writesInFlight(),
  };
}
