package dev.nrt4j.device.driver;

import java.nio.file.Path;

/**
 * A driver file that exists but cannot be read or does not hold what the driver writes there. Names
 * the file and what was expected, so a corrupt fixture or an unexpected driver version is obvious.
 */
public final class DriverSysfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DriverSysfsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    DriverSysfsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + " (" + cause + ")", cause);
    }
}
