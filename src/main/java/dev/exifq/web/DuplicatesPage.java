package dev.exifq.web;

import dev.exifq.duplicates.DuplicatesService;
import dev.exifq.duplicates.HashKind;
import dev.exifq.duplicates.ImageDuplicatesView;
import dev.exifq.duplicates.Params;
import dev.exifq.images.Image;
import dev.exifq.platform.ApiException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pick one of your images, see its duplicates side by side with their Hamming distance. Thumbnails are the
 * originals from GET /v1/images/{id}/original while they are kept; afterwards the card says so.
 */
@Path("/dashboard/duplicates")
@Produces(MediaType.TEXT_HTML)
public class DuplicatesPage {
    static final int CHOICES = 200;
    static final String DEFAULT_DISTANCE = "6";

    private final PageAuth auth;
    private final DuplicatesService duplicates;
    private final Template page;

    public DuplicatesPage(PageAuth auth, DuplicatesService duplicates, @Location("dashboard/duplicates.html") Template page) {
        this.auth = auth;
        this.duplicates = duplicates;
        this.page = page;
    }

    @TemplateData
    public record Choice(String id, String label, boolean selected) {}

    @TemplateData
    public record Card(String id, String filename, int distance, boolean exact, boolean originalStored) {
        public String thumbnailUrl() {
            return "/v1/images/" + id + "/original";
        }
    }

    @GET
    public TemplateInstance show(@QueryParam("image") String imageId, @QueryParam("hash") String hash,
                                 @QueryParam("max_distance") String maxDistance, @Context UriInfo uri) {
        Viewer viewer = auth.require(uri);
        List<Image> mine = Image.<Image>find("userId = ?1 and status = ?2 and phash is not null "
                + "order by createdAt desc, id desc", viewer.id(), Image.PROCESSED).page(0, CHOICES).list();
        String selected = imageId == null || imageId.isBlank() ? null : imageId.strip().toLowerCase(java.util.Locale.ROOT);
        List<Choice> choices = mine.stream().map(i -> new Choice(i.id, label(i), i.id.equals(selected))).toList();
        TemplateInstance t = page.data("layout", auth.layout("Duplicates", uri)).data("choices", choices)
                .data("hash", "dhash".equalsIgnoreCase(hash) ? "dhash" : "phash")
                .data("maxDistance", maxDistance == null || maxDistance.isBlank() ? DEFAULT_DISTANCE : maxDistance)
                .data("subject", null).data("cards", List.of()).data("error", null).data("searched", false);
        if (selected == null) {
            return t;
        }
        try {
            ImageDuplicatesView found = duplicates.forImage(viewer.id(), selected, HashKind.parse(hash),
                    Params.maxDistance(maxDistance), 50, false);
            List<String> ids = new ArrayList<>(found.exact());
            found.similar().forEach(s -> ids.add(s.id()));
            ids.add(found.id());
            Map<String, Image> byId = Image.<Image>list("id in ?1 and userId = ?2", ids, viewer.id()).stream()
                    .collect(Collectors.toMap(i -> i.id, Function.identity()));
            List<Card> cards = new ArrayList<>();
            found.exact().forEach(id -> cards.add(card(byId.get(id), id, 0, true)));
            found.similar().forEach(s -> cards.add(card(byId.get(s.id()), s.id(), s.distance(), false)));
            return t.data("subject", card(byId.get(found.id()), found.id(), 0, false)).data("cards", cards)
                    .data("searched", true);
        } catch (ApiException e) {
            return t.data("error", e.getMessage());
        }
    }

    private static Card card(Image i, String id, int distance, boolean exact) {
        return new Card(id, i == null ? id : i.filename, distance, exact, i != null && i.blobKey != null);
    }

    private static String label(Image i) {
        return (i.filename == null ? i.id : i.filename) + " · " + dev.exifq.platform.ApiTime.format(i.createdAt);
    }
}
