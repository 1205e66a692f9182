import { describe, expect, it } from 'vitest';
import { isTrustedSender, type SenderFacts } from '../../../src-main/electron/trusted-sender.js';

const FILE_APP = 'file:///opt/Kairos%20Factory/resources/app.asar/dist/renderer/index.html';
const DEV_APP = 'http://localhost:5173/';

const facts = (frameUrl: string | undefined, over: Partial<SenderFacts> = {}): SenderFacts => ({ frameUrl, fromMainWindow: true, topFrame: true, ...over });

describe('isTrustedSender', () => {
  describe('packaged app (file: URL)', () => {
    it('trusts the main window showing the app page', () => {
      expect(isTrustedSender(facts(FILE_APP), FILE_APP)).toBe(true);
    });

    it('trusts the app page with a route in the hash or a query', () => {
      expect(isTrustedSender(facts(`${FILE_APP}#/flash`), FILE_APP)).toBe(true);
      expect(isTrustedSender(facts(`${FILE_APP}?step=review`), FILE_APP)).toBe(true);
    });

    it('refuses another local file', () => {
      expect(isTrustedSender(facts('file:///tmp/evil.html'), FILE_APP)).toBe(false);
      expect(isTrustedSender(facts('file:///opt/Kairos%20Factory/resources/app.asar/dist/renderer/other.html'), FILE_APP)).toBe(false);
    });

    it('refuses a web page', () => {
      expect(isTrustedSender(facts('https://example.com/index.html'), FILE_APP)).toBe(false);
    });
  });

  describe('development server (http: URL)', () => {
    it('trusts any page of the app origin', () => {
      expect(isTrustedSender(facts('http://localhost:5173/'), DEV_APP)).toBe(true);
      expect(isTrustedSender(facts('http://localhost:5173/wizard#/source'), DEV_APP)).toBe(true);
    });

    it('refuses another port, host or scheme', () => {
      expect(isTrustedSender(facts('http://localhost:5174/'), DEV_APP)).toBe(false);
      expect(isTrustedSender(facts('http://127.0.0.1:5173/'), DEV_APP)).toBe(false);
      expect(isTrustedSender(facts('https://localhost:5173/'), DEV_APP)).toBe(false);
      expect(isTrustedSender(facts('http://localhost:5173.evil.com/'), DEV_APP)).toBe(false);
      expect(isTrustedSender(facts('file:///index.html'), DEV_APP)).toBe(false);
    });
  });

  it('refuses an iframe inside the app window', () => {
    expect(isTrustedSender(facts(FILE_APP, { topFrame: false }), FILE_APP)).toBe(false);
    expect(isTrustedSender(facts(DEV_APP, { topFrame: false }), DEV_APP)).toBe(false);
  });

  it('refuses a sender that is not the main window (devtools, another window)', () => {
    expect(isTrustedSender(facts(FILE_APP, { fromMainWindow: false }), FILE_APP)).toBe(false);
  });

  it('refuses a sender without a URL', () => {
    expect(isTrustedSender(facts(undefined), FILE_APP)).toBe(false);
    expect(isTrustedSender(facts(''), FILE_APP)).toBe(false);
  });

  it('refuses a URL that does not parse, and a bad app URL', () => {
    expect(isTrustedSender(facts('not a url'), FILE_APP)).toBe(false);
    expect(isTrustedSender(facts(FILE_APP), 'not a url')).toBe(false);
  });
});
