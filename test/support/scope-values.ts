import fc from 'fast-check';

/** Separators RFC 6749 §3.3 does not allow (only %x20 is) and unicode look-alikes of scope names. */
const ODD_SEPARATORS = [' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '+', ',', '%20', '\u200b'];
const LOOK_ALIKES = ['pr\u043efile', 'PROFILE', 'profile\u200b', 'ｐｒｏｆｉｌｅ', 'profil\u0435', 'e\u0301mail', 'offline_access\u0000'];

/** A scope parameter: real names joined by odd separators, with look-alikes and unknown names mixed in. */
export function scopeValue(known: readonly string[], junk: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.constantFrom(...LOOK_ALIKES) },
    { weight: 1, arbitrary: junk },
  );
  return fc
    .tuple(fc.array(name, { minLength: 0, maxLength: 4 }), fc.constantFrom(...ODD_SEPARATORS), fc.constantFrom('', ' ', '\t', '\u00a0'))
    .map(([names, separator, edge]) => edge + names.join(separator) + edge);
}
