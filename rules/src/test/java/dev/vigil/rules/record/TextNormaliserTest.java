package dev.vigil.rules.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormaliserTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "Help me!               | ` help me `",
            "  HELP,   me...        | ` help me `",
            "Don't shoot            | ` dont shoot `",
            "don\u2019t  shoot      | ` dont shoot `",
            "Caf\u00E9 Ｈelp        | ` café help `",
            "fire-alarm at 10:30    | ` fire alarm at 10 30 `",
            "...                    | ``",
            "``                     | ``"
    })
    void normalisesTextToPaddedLowerCaseWords(String text, String expected) {
        assertThat(TextNormaliser.normalise(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "Loading Dock   | loading_dock",
            "loading-dock   | loading_dock",
            "Zone A         | zone_a",
            "lobby          | lobby"
    })
    void turnsZoneNamesIntoZoneKeys(String name, String key) {
        assertThat(TextNormaliser.zoneKey(name)).isEqualTo(key);
    }
}
