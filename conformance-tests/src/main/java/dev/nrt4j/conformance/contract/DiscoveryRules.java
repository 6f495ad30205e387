package dev.nrt4j.conformance.contract;

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
    private DiscoveryRules() {}

    static List<Rule> all() {
        String area = "discovery";
        return List.of(
                new Rule(area, "the_named_backend_is_described_as_available_and_chosen", ctx -> {
                    List<BackendDescription> all =
                            NeuronRuntime.describeBackends(ctx.options().build());
                    Expect.anySatisfies(all, b -> {
                        Expect.equal(b.name(), ctx.backend(), "name");
                        Expect.isTrue(b.isAvailable(), "isAvailable()");
                        Expect.isTrue(b.isSelected(), "isSelected()");
                    });
                }),
                new Rule(area, "a_runtime_reports_the_backend_it_runs_on", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Expect.equal(rt.backend().name(), ctx.backend());
                        Expect.notBlank(rt.backend().version(), "backend().version()");
                        Expect.oneOf(rt.backend().lnc(), List.of(1, 2));
                    }
                }),
                new Rule(area, "devices_are_numbered_from_zero_in_order", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Expect.notEmpty(rt.devices());
                        for (int i = 0; i < rt.devices().size(); i++) {
                            Expect.equal(rt.devices().get(i).index(), i);
                        }
                    }
                }),
                new Rule(area, "logical_core_ids_are_global_and_contiguous_in_device_order", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        int next = 0;
                        for (NeuronDevice d : rt.devices()) {
                            for (int id : d.logicalCoreIds()) {
                                Expect.equal(id, next++, "core ids of device " + d.index());
                            }
                        }
                    }
                }),
                new Rule(area, "links_between_devices_are_symmetric", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        for (NeuronDevice d : rt.devices()) {
                            for (int other : d.connectedDevices()) {
                                Expect.between(
                                        other, 0, rt.devices().size() - 1, "a device linked to device " + d.index());
                                Expect.isTrue(other != d.index(), "device " + d.index() + " is not linked to itself");
                                Expect.contains(
                                        rt.devices().get(other).connectedDevices(),
                                        d.index(),
                                        "links of device " + other);
                            }
                        }
                    }
                }),
                new Rule(area, "claimed_cores_are_renumbered_from_zero", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        for (int i = 0; i < rt.cores().size(); i++) {
                            Expect.equal(rt.cores().get(i).index(), i);
                        }
                    }
                }),
                new Rule(area, "each_claimed_core_belongs_to_its_device", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Set<Integer> seen = new HashSet<>();
                        for (NeuronCore c : rt.cores()) {
                            Expect.contains(rt.devices().get(c.device()).logicalCoreIds(), c.globalId());
                            Expect.isTrue(seen.add(c.globalId()), "core " + c.globalId() + " claimed twice");
                        }
                    }
                }),
                new Rule(area, "a_logical_core_has_lnc_physical_cores", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        for (NeuronCore c : rt.cores()) {
                            Expect.size(c.physicalCores(), rt.backend().lnc());
                        }
                        for (NeuronDevice d : rt.devices()) {
                            Expect.equal(
                                    d.logicalCoreIds().size() * rt.backend().lnc(), d.physicalCoreCount());
                        }
                    }
                }),
                new Rule(area, "the_driver_view_shows_the_runtimes_devices", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        var sysfs = new dev.nrt4j.device.driver.DriverSysfs(dev.nrt4j.spi.DriverViews.of(
                                rt.backend().name(), ctx.options().build()));
                        var devices = sysfs.devices();
                        if (devices.isEmpty()) {
                            throw ctx.skip("this machine has no Neuron driver sysfs");
                        }
                        List<Integer> physical = new ArrayList<>();
                        devices.forEach(d -> physical.add(d.physicalCoreCount()));
                        Expect.size(devices, rt.devices().size());
                        for (NeuronDevice d : rt.devices()) {
                            Expect.equal((int) physical.get(d.index()), d.physicalCoreCount());
                        }
                        // The cores the runtime claimed (libnrt's counts on hardware) sit on cores the driver has.
                        for (NeuronCore c : rt.cores()) {
                            Expect.between(c.device(), 0, devices.size() - 1, "device of core " + c.globalId());
                            int onDevice = physical.get(c.device());
                            for (int p : c.physicalCores()) {
                                Expect.between(p, 0, onDevice - 1, "physical cores of core " + c.globalId());
                            }
                        }
                    }
                }));
    }
}
