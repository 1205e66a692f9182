// The Cloud-config form's secrets and device settings (what Raspberry Pi Imager users expect):
// the user's password, Wi-Fi, time zone, keyboard layout and SSH by key only. Secrets never reach
// the YAML as typed: the password goes in as a SHA-512 crypt hash, the Wi-Fi passphrase as its
// WPA2 PSK (src-shared/cloud-config/secrets.ts). What is typed lives only in this component.
import { useMemo, useState } from 'react';
import type { CloudConfigForm } from '../../src-shared/cloud-config/cloud-config.js';
import { hashPassword, isCryptHash, passphraseProblem, wpaPsk } from '../../src-shared/cloud-config/secrets.js';
import { Field } from '../components/field.js';

type Update = (change: Partial<CloudConfigForm>) => void;

const LAYOUTS = ['us', 'gb', 'de', 'fr', 'es', 'it', 'pt', 'br', 'ch', 'at', 'be', 'nl', 'se', 'no', 'dk', 'fi', 'pl', 'cz', 'hu', 'ru', 'ua', 'tr', 'jp', 'kr', 'latam', 'ca'];

/** The IANA zones this browser knows (all of them in Chromium and Electron). */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? ['UTC', ...intl.supportedValuesOf('timeZone')] : ['UTC'];
}

/** The password, hashed when the field is left (hashing takes a moment: not on every key). */
export function PasswordField({ form, update }: { readonly form: CloudConfigForm; readonly update: Update }) {
  const [typed, setTyped] = useState('');
  const commit = (): void => {
    if (typed === '') return;
    update({ password: hashPassword(typed) });
    setTyped('');
  };
  const state =
    form.password === ''
      ? 'No password: log in with an SSH key, or type one'
      : isCryptHash(form.password)
        ? 'A password is set, stored as a SHA-512 crypt hash. Type another to replace it'
        : 'The password is in the cloud-config as clear text: type it again to store it hashed';
  return (
    <Field label="Password" hint={state}>
      {(p) => (
        <span className="path-input">
          <input
            {...p}
            type="password"
            value={typed}
            autoComplete="new-password"
            onChange={(e) => setTyped(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
            }}
          />
          {form.password !== '' && (
            <button type="button" className="link" onClick={() => update({ password: '' })}>
              Remove password
            </button>
          )}
        </span>
      )}
    </Field>
  );
}

/** Wi-Fi: the PSK follows the SSID and the passphrase as they are typed (PBKDF2 is quick). */
export function WifiFields({ form, update }: { readonly form: CloudConfigForm; readonly update: Update }) {
  const [passphrase, setPassphrase] = useState('');
  const [stale, setStale] = useState(false);
  const problem = passphrase === '' ? undefined : passphraseProblem(passphrase);
  const pskFor = (ssid: string, text: string): string | undefined => (ssid !== '' && text !== '' && !passphraseProblem(text) ? wpaPsk(ssid, text) : undefined);

  const changeSsid = (ssid: string): void => {
    const psk = pskFor(ssid, passphrase);
    // The PSK is made from the SSID too: without the passphrase it cannot follow a new SSID.
    setStale(psk === undefined && form.wifiPsk !== '' && ssid !== '');
    update({ wifiSsid: ssid, wifiPsk: psk ?? '' });
  };
  const changePassphrase = (text: string): void => {
    setPassphrase(text);
    const psk = pskFor(form.wifiSsid, text);
    if (psk !== undefined) {
      setStale(false);
      update({ wifiPsk: psk });
    }
  };
  const pskState = stale
    ? 'The SSID changed: type the passphrase again (the key is made from both)'
    : form.wifiPsk !== ''
      ? 'Stored as the WPA2 key made from it (64 hex digits), not as typed'
      : 'Empty: an open network';
  return (
    <fieldset className="group">
      <legend>Wi-Fi</legend>
      <div className="row">
        <Field label="Wi-Fi network (SSID)" hint="Empty: no Wi-Fi. The on-board interface wlan0 joins it">
          {(p) => <input {...p} value={form.wifiSsid} autoComplete="off" spellCheck={false} onChange={(e) => changeSsid(e.target.value)} />}
        </Field>
        <Field label="Wi-Fi passphrase" hint={pskState} error={problem}>
          {(p) => (
            <input {...p} type="password" value={passphrase} autoComplete="off" disabled={form.wifiSsid === ''} onChange={(e) => changePassphrase(e.target.value)} />
          )}
        </Field>
        <Field label="Wi-Fi country" hint="Two letters (DE, US, GB): which channels are legal">
          {(p) => (
            <input
              {...p}
              value={form.wifiCountry}
              maxLength={2}
              size={4}
              autoComplete="off"
              disabled={form.wifiSsid === ''}
              onChange={(e) => update({ wifiCountry: e.target.value.toUpperCase() })}
            />
          )}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.wifiHidden} disabled={form.wifiSsid === ''} onChange={(e) => update({ wifiHidden: e.target.checked })} />
        Hidden network (it does not broadcast its SSID)
      </label>
    </fieldset>
  );
}

export function LocaleFields({ form, update }: { readonly form: CloudConfigForm; readonly update: Update }) {
  const zones = useMemo(() => timeZones(), []);
  return (
    <div className="row">
      <Field label="Time zone" hint="Empty: UTC. E.g. Europe/Berlin">
        {(p) => <input {...p} value={form.timezone} list="kf-time-zones" autoComplete="off" spellCheck={false} onChange={(e) => update({ timezone: e.target.value })} />}
      </Field>
      <datalist id="kf-time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field label="Keyboard layout" hint="Empty: the image's own (us). E.g. de, gb, fr">
        {(p) => <input {...p} value={form.keyboard} list="kf-layouts" size={8} autoComplete="off" spellCheck={false} onChange={(e) => update({ keyboard: e.target.value })} />}
      </Field>
      <datalist id="kf-layouts">
        {LAYOUTS.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
    </div>
  );
}
