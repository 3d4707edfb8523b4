package dev.vigil.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodyGateTest {

    @Test
    void jsonTypesInUtf8Pass() {
        for (String type : List.of("application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=\"UTF-8\"", "application/json; charset=utf8", "application/merge-patch+json",
                "application/vnd.api+json; charset=utf-8")) {
            assertThat(JsonBodyGate.contentTypeProblem(List.of(type))).as(type).isNull();
        }
        assertThat(JsonBodyGate.contentTypeProblem(List.of())).as("no Content-Type").isNull();
    }

    @Test
    void everythingElseIsRefusedWithAReason() {
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "text/plain",
                "text/json", "application/xml", "*/*", "", ";;;", ";", "application/json; charset=utf-16",
                "application/json; charset=iso-8859-1", "application/jsonx", "application/+json", "application/a/b+json",
                "application/x-www-form-urlencoded; x=application/json")) {
            assertThat(JsonBodyGate.contentTypeProblem(List.of(type))).as(type).isNotBlank();
        }
        assertThat(JsonBodyGate.contentTypeProblem(List.of("application/json", "text/plain"))).contains("one Content-Type");
    }
}
