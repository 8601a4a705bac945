import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { freePort, startServer, type AtriumServer } from './server';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const mailpitBin = process.env.MAILPIT ?? join(repo, '.bin', 'mailpit');

interface Caught {
  ID: string;
  Subject: string;
  To: { Address: string }[];
}

export interface Mailpit {
  smtpPort: number;
  /** Waits for the n-th message to an address whose subject matches; returns its text, link and code. */
  mailTo(address: string, subject: RegExp, n?: number): Promise<{ text: string; link: string; code: string }>;
  /** The subjects of every message caught so far for an address, oldest first. */
  subjectsTo(address: string): Promise<string[]>;
  /** Environment that points an atrium-server at this SMTP server (it reads it at start). */
  env(): Record<string, string>;
  stop(): void;
}

/**
 * Starts a real SMTP server (mailpit, installed in .bin/ by scripts/setup.sh)
 * on free 127.0.0.1 ports. Returns null when it is not installed outside CI,
 * so the spec can skip; in CI its absence is an error.
 */
export async function startMailpit(): Promise<Mailpit | null> {
  if (!existsSync(mailpitBin)) {
    if (process.env.CI) throw new Error(`mailpit is required in CI (${mailpitBin})`);
    return null;
  }
  const smtpPort = await freePort();
  const http = await freePort();
  const proc = spawn(mailpitBin, ['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${http}`, '--smtp-disable-rdns', '--quiet'], {
    stdio: 'ignore',
  });
  const api = `http://127.0.0.1:${http}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${api}/api/v1/messages`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    smtpPort,
    async mailTo(address, subject, n = 1) {
      for (let i = 0; i < 150; i++) {
        const list = (await (await fetch(`${api}/api/v1/messages?limit=200`)).json()) as { messages: Caught[] };
        const mine = list.messages.filter((m) => m.To.some((t) => t.Address === address) && subject.test(m.Subject)).reverse();
        if (mine.length >= n) {
          const full = (await (await fetch(`${api}/api/v1/message/${mine[n - 1].ID}`)).json()) as { Text: string };
          const link = full.Text.match(/https?:\/\/\S+/)?.[0] ?? '';
          const code = full.Text.match(/:\s+([A-Z0-9]{5}-[A-Z0-9]{5}|\d{6})\s*$/m)?.[1] ?? '';
          return { text: full.Text, link, code };
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no message "${subject}" #${n} to ${address}`);
    },
    async subjectsTo(address) {
      const list = (await (await fetch(`${api}/api/v1/messages?limit=500`)).json()) as { messages: Caught[] };
      return list.messages.filter((m) => m.To.some((t) => t.Address === address)).reverse().map((m) => m.Subject);
    },
    env: () => ({
      ATRIUM_SMTP_HOST: '127.0.0.1',
      ATRIUM_SMTP_PORT: String(smtpPort),
      ATRIUM_SMTP_SECURITY: 'none',
      ATRIUM_SMTP_FROM: 'Atrium <atrium@example.test>',
    }),
    stop: () => void proc.kill(),
  };
}

/**
 * Gives a spec its own atrium-server wired to its own mailpit, started before
 * its tests and stopped after them; the spec is skipped outside CI when
 * mailpit is not installed.
 */
export function mailJourney(name: string) {
  const journey = {
    server: undefined as unknown as AtriumServer,
    mail: undefined as unknown as Mailpit,
    mailTo: (address: string, subject: RegExp, n = 1) => journey.mail.mailTo(address, subject, n),
  };
  test.beforeAll(async () => {
    const started = await startMailpit();
    test.skip(!started, 'mailpit not installed: GOBIN=$PWD/.bin go install github.com/axllent/mailpit@v1.33.1');
    journey.mail = started!;
    journey.server = await startServer(name, journey.mail.env());
  });
  test.afterAll(async () => {
    await journey.server?.stop();
    journey.mail?.stop();
  });
  return journey;
}
