/** E-mail subscribers, through the configured SMTP relay (nodemailer). */
import nodemailer, { type Transporter } from 'nodemailer';
import type { NotificationSettings } from '../config/schema.js';

export interface EmailSender {
  send(to: string, subject: string, text: string, eventId: string): Promise<void>;
  close(): void;
}

export function createEmailSender(
  smtp: NonNullable<NotificationSettings['smtp']>,
  env: NodeJS.ProcessEnv = process.env,
): EmailSender {
  const password = smtp.passwordEnv ? env[smtp.passwordEnv] : undefined;
  const transport: Transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    pool: true,
    ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
  });
  return {
    async send(to, subject, text, eventId) {
      await transport.sendMail({
        from: smtp.from,
        to,
        subject,
        text,
        // The event id, so a mail sent twice (a retry after a lost answer) is recognisable.
        headers: { 'X-Continuum-Event-Id': eventId },
        messageId: `<${eventId}@continuum>`,
      });
    },
    close() {
      transport.close();
    },
  };
}

/** A plain-text notice: what happened, the filtered facts, the portal link. */
export function emailText(
  eventType: string,
  data: Record<string, unknown>,
): {
  subject: string;
  text: string;
} {
  const child = typeof data['childId'] === 'string' ? ` (child ${data['childId']})` : '';
  const lines = [`Continuum notification: ${eventType}${child}`, ''];
  for (const [key, value] of Object.entries(data)) {
    if (key === 'portalUrl') continue;
    lines.push(`${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  if (typeof data['portalUrl'] === 'string')
    lines.push('', `Open in the portal: ${data['portalUrl']}`);
  return { subject: `Continuum: ${eventType}${child}`, text: lines.join('\n') };
}
