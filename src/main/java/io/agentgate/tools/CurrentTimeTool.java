package io.agentgate.tools;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/** {@code current_time}: the date and time now in an IANA time zone. Models cannot know "now". */
public final class CurrentTimeTool implements Tool {

    private final Clock clock;

    public CurrentTimeTool() {
        this(Clock.systemUTC());
    }

    CurrentTimeTool(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "current_time";
    }

    @Override
    public String description() {
        return "Returns the current date, time and weekday in a time zone. Use it whenever the answer "
                + "depends on today's date or the time now.";
    }

    @Override
    public JsonObject parameters() {
        return Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("timezone", Json.createObjectBuilder()
                                .add("type", "string")
                                .add("description", "IANA time zone such as Europe/Paris or America/New_York; default UTC")))
                .build();
    }

    @Override
    public String execute(JsonObject arguments) {
        String zoneName = arguments.getString("timezone", "UTC").trim();
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName.isEmpty() ? "UTC" : zoneName);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone '" + zoneName
                    + "'; use an IANA name such as Europe/Paris.");
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        return Json.createObjectBuilder()
                .add("timezone", zone.getId())
                .add("iso", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .add("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                .build()
                .toString();
    }
}
