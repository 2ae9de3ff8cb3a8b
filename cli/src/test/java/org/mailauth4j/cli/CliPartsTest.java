package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

/** The small parts the commands share: durations, CSV cells, exit codes, file kinds. */
class CliPartsTest {
  @ParameterizedTest(name = "duration {0} is {1} ms")
  @CsvSource({
    "10s,10000",
    "500ms,500",
    "2m,120000",
    "1.5,1500",
    "1h,3600000",
    "7d,604800000",
    " 3S ,3000"
  })
  void durationsAreReadAsPeopleWriteThem(String text, long millis) {
    assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "duration ''{0}'' is refused")
  @CsvSource({"soon", "-1s", "0", "10 s", "1y", "400d", "''"})
  void durationsThatAreNoneAreRefused(String text) {
    assertThatThrownBy(() -> new DurationConverter().convert(text))
        .isInstanceOf(TypeConversionException.class);
  }

  @ParameterizedTest(name = "CSV cell {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|plain",
        "a,b|\"a,b\"",
        "say \"hi\"|\"say \"\"hi\"\"\"",
        "=1+1|\"'=1+1\"",
        "+all|\"'+all\"",
        "-all|\"'-all\"",
        "@x|\"'@x\""
      })
  void csvCellsAreQuotedAndNeverStartAFormula(String value, String cell) {
    assertThat(Csv.quote(value)).isEqualTo(cell);
  }

  @ParameterizedTest(name = "worse of {0} and {1} is {2}")
  @CsvSource({"0,0,0", "0,1,1", "1,3,3", "3,2,2", "2,4,4", "4,0,4", "3,0,3"})
  void theMoreSeriousExitCodeWins(int a, int b, int worse) {
    assertThat(ExitCode.worse(a, b)).isEqualTo(worse);
    assertThat(ExitCode.worse(b, a)).isEqualTo(worse);
  }

  @ParameterizedTest(name = "progress {0} of {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0|10|[..........]  0/10",
        "5|10|[#####.....]  5/10",
        "10|10|[##########] 10/10",
        "1|300|[..........]   1/300"
      })
  void theProgressBarShowsHowFarItIs(int done, int total, String bar) {
    assertThat(CheckCommand.Progress.bar(done, total, 10)).isEqualTo(bar);
  }

  @ParameterizedTest(name = "{0} is a message: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "r.xml|<?xml version='1.0'?><feedback/>|false",
        "r.json|  {\"a\":1}|false",
        "r.bin|PK\u0003\u0004|false",
        "r|From: a@b.test|true",
        "r.eml|<looks like xml>|true",
        "r|\ufeff<feedback/>|false"
      })
  void reportFilesAreToldFromReportEmailsByTheirOctets(String name, String data, boolean message) {
    assertThat(ReportFiles.isMessage(Path.of(name), data.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(message);
  }
}
