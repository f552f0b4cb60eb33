// Money as plain words in reasons, notices and digests (the app formats with Intl in the viewer's locale).

/** 1,234.50 EUR from 123450 minor units (two decimals assumed); without a currency, the number alone. */
export function moneyInWords(amountMinor: number, currency: string | null): string {
  const major = (amountMinor / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency === null ? major : `${major} ${currency}`;
}
