package dev.nrt4j.tools.top;

import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.tools.machine.LogicalCores;
import dev.nrt4j.tools.machine.MachineReading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen view of {@code nrt4j top}: reads the machine every interval, redraws only what changed
 * (JLine's {@link Display}), switches tabs on a/d and 1-9 and the grid between utilization and FLOPS on f
 * (as neuron-top does; a switch redraws from the last two readings at once), pages through devices on
 * PgUp/PgDn (or space), Home/End, and quits on q (or Ctrl-C, or the end of input). The terminal is put
 * back as it was on every way out. Owns the terminal it is given for as long as {@link #run} runs; not
 * thread-safe.
 */
final class TopScreen {
    /** What a key press asks for. */
    enum Key {
        QUIT,
        NEXT,
        PREVIOUS,
        FIRST,
        LAST,
        NEXT_TAB,
        PREVIOUS_TAB,
        TAB_1,
        TAB_2,
        TAB_3,
        TAB_4,
        TAB_5,
        TAB_6,
        TAB_7,
        TAB_8,
        TAB_9,
        FLOPS,
        IGNORE
    }

    /** The first frame comes this soon, so the screen is not blank for a whole interval. */
    private static final long FIRST_FRAME_MILLIS = 200;
    /** How often a resize is noticed while waiting for a key. */
    private static final long POLL_MILLIS = 100;

    private final Terminal terminal;
    private final SystemRoot root;
    private final long intervalMillis;
    private final Integer lnc;
    private final String version;
    private final AtomicBoolean resized = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    /** The page shown, an index into {@link #pageStarts}. */
    private int page;

    private List<Integer> pageStarts = List.of(0);
    /** The tab shown and whether the grid shows FLOPS. */
    private TopView view = TopView.START;
    /** Where skipped counters and records are reported. */
    private final Consumer<String> warnings;

    TopScreen(
            Terminal terminal,
            SystemRoot root,
            long intervalMillis,
            Integer lnc,
            String version,
            Consumer<String> warnings) {
        this.terminal = terminal;
        this.warnings = warnings;
        this.root = root;
        this.intervalMillis = intervalMillis;
        this.lnc = lnc;
        this.version = version;
    }

    /** Runs until the user quits. */
    void run() throws IOException, InterruptedException {
        Attributes saved = terminal.enterRawMode();
        terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
        // Ctrl-C still raises SIGINT in raw mode; quitting through the loop puts the terminal back.
        terminal.handle(Terminal.Signal.INT, s -> interrupted.set(true));
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        try {
            loop();
        } finally {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
        }
    }

    private void loop() throws IOException, InterruptedException {
        Display display = new Display(terminal, true);
        Size size = terminal.getSize();
        display.resize(size);
        display.clear();
        BindingReader reader = new BindingReader(terminal.reader());
        KeyMap<Key> keys = keys();

        MachineReading earlier = MachineReading.take(root, warnings);
        long nextRead = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(intervalMillis, FIRST_FRAME_MILLIS));
        TopFrame frame = null;
        // The two readings the frame shown was made of, to make another tab's frame of at once.
        MachineReading shownEarlier = null;
        MachineReading shownLater = null;
        while (!interrupted.get()) {
            long now = System.nanoTime();
            if (now >= nextRead) {
                MachineReading later = MachineReading.take(root, warnings);
                shownEarlier = earlier;
                shownLater = later;
                frame = frame(shownEarlier, shownLater);
                earlier = later;
                nextRead = now + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                draw(display, frame);
            } else if (resized.getAndSet(false)) {
                size = terminal.getSize();
                display.clear();
                display.resize(size);
                if (frame != null) {
                    draw(display, frame);
                }
            }
            long wait = Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(nextRead - System.nanoTime())));
            int c = reader.peekCharacter(wait);
            if (c == NonBlockingReader.READ_EXPIRED) {
                continue;
            }
            if (c == NonBlockingReader.EOF) {
                return;
            }
            Key key = reader.readBinding(keys, null, false);
            if (key == Key.QUIT) {
                return;
            }
            if (key != null && frame != null) {
                TopView before = view;
                view = viewAfter(key, view, frame.apps());
                if (!view.pid().equals(before.pid())) {
                    frame = frame(shownEarlier, shownLater);
                }
                page(key);
                draw(display, frame);
            }
        }
    }

    /** The frame of the tab shown; the "all" tab's once the tab's process has gone. */
    private TopFrame frame(MachineReading earlier, MachineReading later) {
        LogicalCores cores = LogicalCores.of(later.machine(), LogicalCores.chooseLnc(later.machine(), lnc));
        List<TopFrame.App> apps = TopFrame.apps(later.machine());
        view = view.among(apps);
        return TopFrame.between(
                earlier.machine(), later.machine(), earlier.host(), later.host(), cores, version, view.pid());
    }

    /** What {@code key} makes of {@code view} with these tabs; keys that do not change the view leave it. */
    static TopView viewAfter(Key key, TopView view, List<TopFrame.App> apps) {
        switch (key) {
            case NEXT_TAB:
                return view.move(1, apps);
            case PREVIOUS_TAB:
                return view.move(-1, apps);
            case FLOPS:
                return view.toggleFlops();
            default:
                if (key.compareTo(Key.TAB_1) >= 0 && key.compareTo(Key.TAB_9) <= 0) {
                    return view.select(1 + key.ordinal() - Key.TAB_1.ordinal(), apps);
                }
                return view;
        }
    }

    private KeyMap<Key> keys() {
        KeyMap<Key> keys = letterKeys();
        bindCapability(keys, Key.NEXT, Capability.key_npage);
        bindCapability(keys, Key.PREVIOUS, Capability.key_ppage);
        bindCapability(keys, Key.FIRST, Capability.key_home);
        bindCapability(keys, Key.LAST, Capability.key_end);
        // Terminals that do not say what their keys send mostly send these (xterm, VT220).
        keys.bindIfNotBound(Key.NEXT, "\033[6~");
        keys.bindIfNotBound(Key.PREVIOUS, "\033[5~");
        keys.bindIfNotBound(Key.FIRST, "\033[H");
        keys.bindIfNotBound(Key.FIRST, "\033[1~");
        keys.bindIfNotBound(Key.LAST, "\033[F");
        keys.bindIfNotBound(Key.LAST, "\033[4~");
        // A lone Esc is a key of its own, else it would swallow the key after it as an unknown sequence.
        keys.bind(Key.IGNORE, KeyMap.esc());
        // Anything else is read and dropped, so an unbound key does not stall the loop.
        keys.setNomatch(null);
        keys.setAmbiguousTimeout(50);
        return keys;
    }

    /** The keys that send the same on every terminal: neuron-top's letters and digits, space, Ctrl-C. */
    static KeyMap<Key> letterKeys() {
        KeyMap<Key> keys = new KeyMap<>();
        keys.bind(Key.QUIT, "q", "Q", KeyMap.ctrl('C'));
        keys.bind(Key.NEXT, " ");
        keys.bind(Key.NEXT_TAB, "d", "D");
        keys.bind(Key.PREVIOUS_TAB, "a", "A");
        keys.bind(Key.FLOPS, "f", "F");
        for (int n = 1; n <= 9; n++) {
            keys.bind(Key.values()[Key.TAB_1.ordinal() + n - 1], Integer.toString(n));
        }
        return keys;
    }

    private void bindCapability(KeyMap<Key> keys, Key key, Capability cap) {
        String seq = KeyMap.key(terminal, cap);
        if (seq != null && !seq.isEmpty()) {
            keys.bind(key, seq);
        }
    }

    private void page(Key key) {
        switch (key) {
            case NEXT:
                page = Math.min(page + 1, pageStarts.size() - 1);
                break;
            case PREVIOUS:
                page = Math.max(0, page - 1);
                break;
            case FIRST:
                page = 0;
                break;
            case LAST:
                page = pageStarts.size() - 1;
                break;
            default:
                break;
        }
    }

    /** The shown tab of a tab bar line in green, as neuron-top has it; any other line as it is. */
    private static AttributedString tabsGreen(String line) {
        boolean bar = line.startsWith("Neuron Apps ") || line.matches(" {12} [ >]\\[.*");
        int open = bar ? line.indexOf(">[") : -1;
        int close = open < 0 ? -1 : line.indexOf('<', open);
        if (close < 0) {
            return new AttributedString(line);
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.append(line.substring(0, open));
        b.styled(AttributedStyle.BOLD.foreground(AttributedStyle.GREEN), line.substring(open, close + 1));
        b.append(line.substring(close + 1));
        return b.toAttributedString();
    }

    private void draw(Display display, TopFrame frame) {
        Size size = terminal.getSize();
        int width = Math.max(20, size.getColumns());
        int height = Math.max(3, size.getRows());
        // Pages follow the terminal's size; after a resize the page that holds the first device shown stays.
        int shownFirst = pageStarts.get(Math.min(page, pageStarts.size() - 1));
        pageStarts = TopRenderer.pageStarts(frame, width, height);
        page = 0;
        while (page + 1 < pageStarts.size() && pageStarts.get(page + 1) <= shownFirst) {
            page++;
        }
        int first = pageStarts.get(page);
        int count = (page + 1 < pageStarts.size()
                        ? pageStarts.get(page + 1)
                        : frame.devices().size())
                - first;
        List<String> lines = TopRenderer.render(frame, width, first, count, view.flops());
        List<AttributedString> screen = new ArrayList<>();
        for (int i = 0; i < Math.min(lines.size(), height - 1); i++) {
            screen.add(i == 0 ? new AttributedString(lines.get(i), AttributedStyle.INVERSE) : tabsGreen(lines.get(i)));
        }
        while (screen.size() < height - 1) {
            screen.add(AttributedString.EMPTY);
        }
        // One column short, so writing the last line never scrolls the screen on terminals that wrap at once.
        screen.add(new AttributedString(TopRenderer.keyLine(frame, first, count, width - 1), AttributedStyle.INVERSE));
        display.update(screen, 0);
        terminal.flush();
    }
}
