package org.mailauth4j.fuzz;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A Jazzer fuzz test of this module. In regression mode (every {@code mvn verify}) it runs over the
 * empty input and the files in {@code <Class>Inputs/<method>/}; a hang there fails the one input
 * after 10 seconds instead of stalling the build. In fuzzing mode ({@code fuzz/run.sh}) JUnit's
 * timeouts are off and libFuzzer's {@code -timeout=1} applies per input.
 *
 * <p>Each target also checks the 1-second budget per input itself ({@link Contract#timed}), so a
 * slow input fails in regression mode as it would while fuzzing.
 */
@Target(METHOD)
@Retention(RUNTIME)
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@FuzzTest
@interface FuzzTarget {}
