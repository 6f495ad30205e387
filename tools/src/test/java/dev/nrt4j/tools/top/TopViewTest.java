package dev.nrt4j.tools.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.tools.top.TopScreen.Key;
import java.util.List;
import java.util.OptionalLong;
import org.jline.keymap.KeyMap;
import org.junit.jupiter.api.Test;

/** The full-screen view's keys as neuron-top has them: a/d and 1-9 switch tabs, f the FLOPS grid. */
class TopViewTest {
    private static final List<TopFrame.App> APPS = List.of(app(42), app(77), app(1234));

    private static TopFrame.App app(long pid) {
        return new TopFrame.App(pid, Long.toString(pid), "java", List.of(), "P" + pid, true);
    }

    private static TopView press(TopView view, String keys) {
        KeyMap<Key> map = TopScreen.letterKeys();
        for (char c : keys.toCharArray()) {
            Key key = map.getBound(Character.toString(c));
            assertThat(key).as("'%s' is bound", c).isNotNull();
            view = TopScreen.viewAfter(key, view, APPS);
        }
        return view;
    }

    @Test
    void dAndAStepThroughTheTabsAndStopAtEitherEnd() {
        assertThat(TopView.START.tab(APPS)).isEqualTo(1);
        assertThat(press(TopView.START, "d").pid()).hasValue(42);
        assertThat(press(TopView.START, "dd").pid()).hasValue(77);
        assertThat(press(TopView.START, "ddddd").pid()).as("stays on the last").hasValue(1234);
        assertThat(press(TopView.START, "ddda").pid()).hasValue(77);
        assertThat(press(TopView.START, "aa").pid()).as("stays on all").isEmpty();
        assertThat(press(TopView.START, "D").pid()).hasValue(42);
    }

    @Test
    void digitsSelectATabAndDigitsPastTheLastChangeNothing() {
        assertThat(press(TopView.START, "3").pid()).hasValue(77);
        assertThat(press(TopView.START, "3").tab(APPS)).isEqualTo(3);
        assertThat(press(TopView.START, "41").pid()).isEmpty();
        assertThat(press(TopView.START, "9").pid()).as("there are 4 tabs").isEmpty();
        assertThat(press(TopView.START, "49").pid()).hasValue(1234);
    }

    @Test
    void fTogglesFlopsAndKeepsTheTab() {
        TopView v = press(TopView.START, "2f");
        assertThat(v.flops()).isTrue();
        assertThat(v.pid()).hasValue(42);
        assertThat(press(v, "f").flops()).isFalse();
        assertThat(press(v, "d").flops()).as("switching tabs keeps the grid").isTrue();
    }

    @Test
    void aTabWhoseProcessIsGoneFallsBackToAll() {
        TopView v = new TopView(OptionalLong.of(77), true);
        List<TopFrame.App> left = List.of(app(42), app(1234));
        assertThat(v.tab(left)).isEqualTo(1);
        assertThat(v.among(left).pid()).isEmpty();
        assertThat(v.among(left).flops()).isTrue();
        assertThat(v.among(APPS).pid()).hasValue(77);
    }

    @Test
    void devicePagingKeepsItsOwnKeys() {
        KeyMap<Key> map = TopScreen.letterKeys();
        assertThat(map.getBound(" ")).isEqualTo(Key.NEXT);
        assertThat(map.getBound("q")).isEqualTo(Key.QUIT);
        assertThat(TopScreen.viewAfter(Key.NEXT, TopView.START, APPS)).isEqualTo(TopView.START);
    }
}
