const units = { fr: ['octets', 'ko', 'Mo', 'Go'], en: ['bytes', 'KB', 'MB', 'GB'] };

/** A file's size in plain units: 850 ko, 12,3 Mo, 1,2 Go. */
export function formatSize(bytes: number, language: string): string {
  const names = language === 'en' ? units.en : units.fr;
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < names.length - 1) {
    n /= 1024;
    i++;
  }
  const digits = i === 0 || n >= 100 ? 0 : 1;
  const num = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: digits }).format(n);
  return `${num} ${names[i]}`;
}
