package dev.nrt4j.tools.machine;

import dev.nrt4j.device.NeuronChip;
import dev.nrt4j.device.driver.DriverDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logical NeuronCores of a snapshot's devices at one LNC size, numbered as the runtime numbers them
 * (device {@code d} holds ids {@code d*k .. d*k+k-1}, {@code k} its physical cores over the LNC size; a
 * logical core groups consecutive physical cores). The driver knows physical cores only, so the
 * monitoring commands need this to show what a runtime calls core 3. Immutable.
 */
public final class LogicalCores {
    /**
     * One logical core.
     *
     * @param id the global logical core id
     * @param device the device id
     * @param indexOnDevice its index among its device's logical cores
     * @param physicalCores the device-local physical cores it groups
     */
    public record Core(int id, int device, int indexOnDevice, List<Integer> physicalCores) {
        public Core {
            physicalCores = List.copyOf(physicalCores);
        }
    }

    private final int lnc;
    private final String versionName;
    private final Map<Integer, List<Core>> byDevice;

    private LogicalCores(int lnc, String versionName, Map<Integer, List<Core>> byDevice) {
        this.lnc = lnc;
        this.versionName = versionName;
        this.byDevice = byDevice;
    }

    /**
     * The LNC size to show a machine at: {@code requested} when given; else the size the first runtime
     * record reports (the driver does not know it, the runtime does); else the first device's chip
     * default; else 1.
     *
     * @throws IllegalArgumentException if {@code requested} is a size a device's chip does not accept
     */
    public static int chooseLnc(MachineSnapshot snapshot, Integer requested) {
        if (requested != null) {
            for (DriverDevice d : snapshot.devices()) {
                if (d.chip().isPresent() && !d.chip().get().acceptsLnc(requested)) {
                    throw new IllegalArgumentException(d.chip().get().displayName() + " accepts LNC "
                            + d.chip().get().allowedLnc() + ", not " + requested);
                }
            }
            return requested;
        }
        if (!snapshot.records().isEmpty()) {
            return snapshot.records().get(0).lnc();
        }
        return snapshot.devices().stream()
                .findFirst()
                .flatMap(DriverDevice::chip)
                .map(NeuronChip::defaultLnc)
                .orElse(1);
    }

    /** The logical cores of {@code snapshot}'s devices at LNC size {@code lnc} (1 or 2). */
    public static LogicalCores of(MachineSnapshot snapshot, int lnc) {
        if (lnc != 1 && lnc != 2) {
            throw new IllegalArgumentException("an LNC size is 1 or 2, not " + lnc);
        }
        Map<Integer, List<Core>> byDevice = new LinkedHashMap<>();
        for (DriverDevice d : snapshot.devices()) {
            // A device with an odd physical core count cannot pair cores; it is shown core by core.
            int size = d.physicalCoreCount() % lnc == 0 ? lnc : 1;
            int perDevice = d.physicalCoreCount() / size;
            List<Core> cores = new ArrayList<>();
            for (int i = 0; i < perDevice; i++) {
                List<Integer> physical = new ArrayList<>();
                for (int p = i * size; p < (i + 1) * size; p++) {
                    physical.add(p);
                }
                cores.add(new Core(d.index() * perDevice + i, d.index(), i, physical));
            }
            byDevice.put(d.index(), List.copyOf(cores));
        }
        String version = snapshot.devices().stream()
                .findFirst()
                .flatMap(DriverDevice::chip)
                .map(c -> c.coreVersion().toolName(lnc))
                .orElse("v?");
        return new LogicalCores(lnc, version, byDevice);
    }

    /** The LNC size. */
    public int lnc() {
        return lnc;
    }

    /** The core version as neuron-top and neuron-monitor print it: {@code v2}, {@code v3}, {@code v3d}. */
    public String versionName() {
        return versionName;
    }

    /** The device ids, ascending. */
    public List<Integer> devices() {
        return List.copyOf(byDevice.keySet());
    }

    /** The logical cores of device {@code device}, by index; empty for an unknown device. */
    public List<Core> ofDevice(int device) {
        return byDevice.getOrDefault(device, List.of());
    }

    /** Every logical core, by id. */
    public List<Core> all() {
        List<Core> out = new ArrayList<>();
        byDevice.values().forEach(out::addAll);
        return out;
    }

    /** The logical core with global id {@code id}. */
    public Optional<Core> byId(int id) {
        return all().stream().filter(c -> c.id() == id).findFirst();
    }

    /** The most logical cores any device has (the width of a grid of them). */
    public int maxPerDevice() {
        return byDevice.values().stream().mapToInt(List::size).max().orElse(0);
    }
}
