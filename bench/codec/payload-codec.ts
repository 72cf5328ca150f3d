/**
 * What payload encryption costs: AES-256-GCM encode and decode (protobuf of the payload, 12-byte IV, 16-byte tag)
 * per payload, for payloads the size tgpulse's are (a job input, a result with notes, a large activity result).
 *
 *   npx tsx bench/codec/payload-codec.ts [--rounds 20000]
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, parseCodecKeys } from '../../src/codec';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 20_000;
const parsed = parseCodecKeys(`k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`);
if (!parsed.ring) throw new Error(parsed.problems.join('; '));
const codec = new AesGcmCodec(parsed.ring);

const sizes: Array<[string, Payload]> = [
  ['job input (~160 B)', defaultPayloadConverter.toPayload({ source: { kind: 'export', path: '/exports/build-cohort-7/result.json' }, prompt: 'Where are people stuck, and who could help them?', delivery: { kind: 'files' } })],
  ['job result (~2 KB)', defaultPayloadConverter.toPayload({ notes: Array.from({ length: 12 }, (_, i) => `note ${i}: ${'x'.repeat(140)}`) })],
  ['large result (~64 KB)', defaultPayloadConverter.toPayload({ blob: 'y'.repeat(64 * 1024) })],
];

async function main(): Promise<void> {
  process.stdout.write(`| payload | bytes | encrypted bytes | encode µs/payload | decode µs/payload |\n|---|---|---|---|---|\n`);
  for (const [label, payload] of sizes) {
    const n = label.startsWith('large') ? Math.max(1, Math.floor(rounds / 20)) : rounds;
    const [sample] = await codec.encode([payload]);
    for (let i = 0; i < 1000; i++) await codec.decode(await codec.encode([payload])); // warm up
    let t = process.hrtime.bigint();
    let enc: Payload[] = [];
    for (let i = 0; i < n; i++) enc = await codec.encode([payload]);
    const encodeUs = Number(process.hrtime.bigint() - t) / 1000 / n;
    t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await codec.decode(enc);
    const decodeUs = Number(process.hrtime.bigint() - t) / 1000 / n;
    process.stdout.write(`| ${label} | ${payload.data!.length} | ${sample!.data!.length} | ${encodeUs.toFixed(1)} | ${decodeUs.toFixed(1)} |\n`);
  }
}

void main();
