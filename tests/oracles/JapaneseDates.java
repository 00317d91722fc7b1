// Oracle: prints "YYYY-MM-DD\tERA\tYEAR" for every ISO date START..END (inclusive)
// using java.time.chrono.JapaneseDate. Usage: java JapaneseDates.java START END
// Note: java.time rejects dates before Meiji 6 (1873-01-01) with a DateTimeException.
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.chrono.JapaneseDate;
import java.time.temporal.ChronoField;

public class JapaneseDates {
    // Indexed by JapaneseEra.getValue() + 1 (Meiji = -1 ... Reiwa = 3).
    // Unicode escapes keep this file ASCII: the source launcher decodes it with the
    // locale charset, so kanji literals would be mangled under LANG=C.
    // Meiji, Taisho, Showa, Heisei, Reiwa
    private static final String[] ERAS = {"\u660e\u6cbb", "\u5927\u6b63", "\u662d\u548c", "\u5e73\u6210", "\u4ee4\u548c"};

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java JapaneseDates.java START END");
            System.exit(2);
        }
        LocalDate end = LocalDate.parse(args[1]);
        // Explicit UTF-8: System.out would follow the (possibly POSIX) locale.
        try (BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            for (LocalDate d = LocalDate.parse(args[0]); !d.isAfter(end); d = d.plusDays(1)) {
                JapaneseDate jd = JapaneseDate.from(d);
                int idx = jd.getEra().getValue() + 1;
                if (idx < 0 || idx >= ERAS.length) {
                    throw new IllegalStateException("unknown era " + jd.getEra() + " on " + d);
                }
                out.write(d + "\t" + ERAS[idx] + "\t" + jd.get(ChronoField.YEAR_OF_ERA) + "\n");
            }
        }
    }
}
