package dev.nrt4j.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.BackendDescription;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronRuntime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Discovery and topology: which backend runs, and the devices and cores it reports. */
final class DiscoveryRules {
    private DiscoveryRules() {
    }

    static List<Rule> all() {
        String area = "discovery";
        return List.of(
                new Rule(area, "the_named_backend_is_described_as_available_and_chosen", ctx -> {
                    List<BackendDescription> all = NeuronRuntime.describeBackends(ctx.options().build());
                    assertThat(all).anySatisfy(b -> {
                        assertThat(b.name()).isEqualTo(ctx.backend());
                        assertThat(b.isAvailable()).isTrue();
                        assertThat(b.isSelected()).isTrue();
                    });
                }),
                new Rule(area, "a_runtime_reports_the_backend_it_runs_on", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        assertThat(rt.backend().name()).isEqualTo(ctx.backend());
                        assertThat(rt.backend().version()).isNotBlank();
                        assertThat(rt.backend().lnc()).isIn(1, 2);
                    }
                }),
                new Rule(area, "devices_are_numbered_from_zero_in_order", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        assertThat(rt.devices()).isNotEmpty();
                        for (int i = 0; i < rt.devices().size(); i++) {
                            assertThat(rt.devices().get(i).index()).isEqualTo(i);
                        }
                    }
                }),
                new Rule(area, "logical_core_ids_are_global_and_contiguous_in_device_order", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        int next = 0;
                        for (NeuronDevice d : rt.devices()) {
                            for (int id : d.logicalCoreIds()) {
                                assertThat(id).as("core ids of device %d", d.index()).isEqualTo(next++);
                            }
                        }
                    }
                }),
                new Rule(area, "links_between_devices_are_symmetric", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        for (NeuronDevice d : rt.devices()) {
                            for (int other : d.connectedDevices()) {
                                assertThat(other).isBetween(0, rt.devices().size() - 1).isNotEqualTo(d.index());
                                assertThat(rt.devices().get(other).connectedDevices()).as("links of device %d", other)
                                        .contains(d.index());
                            }
                        }
                    }
                }),
                new Rule(area, "claimed_cores_are_renumbered_from_zero", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        for (int i = 0; i < rt.cores().size(); i++) {
                            assertThat(rt.cores().get(i).index()).isEqualTo(i);
                        }
                    }
                }),
                new Rule(area, "each_claimed_core_belongs_to_its_device", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Set<Integer> seen = new HashSet<>();
                        for (NeuronCore c : rt.cores()) {
                            assertThat(rt.devices().get(c.device()).logicalCoreIds()).contains(c.globalId());
                            assertThat(seen.add(c.globalId())).as("core %d claimed twice", c.globalId()).isTrue();
                        }
                    }
                }),
                new Rule(area, "a_logical_core_has_lnc_physical_cores", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        for (NeuronCore c : rt.cores()) {
                            assertThat(c.physicalCores()).hasSize(rt.backend().lnc());
                        }
                        for (NeuronDevice d : rt.devices()) {
                            assertThat(d.logicalCoreIds().size() * rt.backend().lnc()).isEqualTo(d.physicalCoreCount());
                        }
                    }
                }),
                new Rule(area, "the_driver_view_shows_the_runtimes_devices", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        var sysfs = new dev.nrt4j.device.driver.DriverSysfs(dev.nrt4j.spi.DriverViews.of(rt.backend().name(), ctx.options().build()));
                        var devices = sysfs.devices();
                        if (devices.isEmpty()) {
                            throw ctx.skip("this machine has no Neuron driver sysfs");
                        }
                        List<Integer> physical = new ArrayList<>();
                        devices.forEach(d -> physical.add(d.physicalCoreCount()));
                        assertThat(devices).hasSize(rt.devices().size());
                        for (NeuronDevice d : rt.devices()) {
                            assertThat(physical.get(d.index())).isEqualTo(d.physicalCoreCount());
                        }
                        // The cores the runtime claimed (libnrt's counts on hardware) sit on cores the driver has.
                        for (NeuronCore c : rt.cores()) {
                            assertThat(c.device()).as("device of core %d", c.globalId()).isBetween(0, devices.size() - 1);
                            int onDevice = physical.get(c.device());
                            assertThat(c.physicalCores()).as("physical cores of core %d", c.globalId())
                                    .allSatisfy(p -> assertThat(p).isBetween(0, onDevice - 1));
                        }
                    }
                }));
    }
}
