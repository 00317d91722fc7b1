// Oracle: prints "YYYY-MM-DD\tERA\tYEAR" for every ISO date START..END (inclusive)
// using ICU via Intl.DateTimeFormat. Usage: node japanese_dates.mjs START END
const DAY_MS = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

const [start, end] = process.argv.slice(2);
if (!ISO.test(start ?? '') || !ISO.test(end ?? '')) {
  console.error('usage: node japanese_dates.mjs YYYY-MM-DD YYYY-MM-DD');
  process.exit(2);
}

const fmt = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long', year: 'numeric', timeZone: 'UTC',
});

const lines = [];
for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += DAY_MS) {
  const date = new Date(t);
  let era, year;
  for (const p of fmt.formatToParts(date)) {
    if (p.type === 'era') era = p.value;
    else if (p.type === 'year') year = p.value;
  }
  // ICU (ja) prints the first year of an era as 元 (gannen).
  const y = year === '元' ? 1 : /^\d+$/.test(year ?? '') ? Number(year) : NaN;
  if (!era || Number.isNaN(y)) throw new Error(`unexpected parts for ${date.toISOString()}: ${era} ${year}`);
  lines.push(`${date.toISOString().slice(0, 10)}\t${era}\t${y}\n`);
  if (lines.length >= 10_000) process.stdout.write(lines.splice(0).join(''));
}
process.stdout.write(lines.join(''));
