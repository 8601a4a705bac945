/**
 * The mail providers French small companies use most, with the server, port
 * and security their own help pages give for sending from an application.
 * Choosing one fills the form; everything stays editable.
 */
export interface MailPreset {
  key: 'gmail' | 'microsoft' | 'ovh' | 'orange';
  host: string;
  port: number;
  security: 'starttls' | 'tls';
}

export const MAIL_PRESETS: readonly MailPreset[] = [
  { key: 'gmail', host: 'smtp.gmail.com', port: 587, security: 'starttls' },
  { key: 'microsoft', host: 'smtp.office365.com', port: 587, security: 'starttls' },
  { key: 'ovh', host: 'ssl0.ovh.net', port: 465, security: 'tls' },
  { key: 'orange', host: 'smtp.orange.fr', port: 465, security: 'tls' },
];

/** The preset whose server is the one typed, if any (to show its advice). */
export function presetOf(host: string): MailPreset | undefined {
  const h = host.trim().toLowerCase();
  return MAIL_PRESETS.find((p) => p.host === h);
}
