package dev.exifq.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The camera and lens catalogue (lensfun, CC BY-SA 3.0), with how many of the caller's images used each. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalogue")
@SecurityRequirement(name = "apiKey")
public class CatalogResource {
    private static final int DEFAULT_SIZE = 20;

    private final CatalogService catalog;
    private final GearUsage usage;
    private final CurrentUser user;
    private final ObjectMapper json;

    public CatalogResource(CatalogService catalog, GearUsage usage, CurrentUser user, ObjectMapper json) {
        this.catalog = catalog;
        this.usage = usage;
        this.user = user;
        this.json = json;
    }

    @GET
    @Path("/cameras")
    @Operation(summary = "Search cameras", description = "By name, model or common name (`q`: `a7`, `5d mark iv`, "
            + "`gh5`) and maker name or slug (`make`). Your own cameras (`image_count` > 0) come first, then exact "
            + "name matches, names starting with `q`, whole-word matches, the rest; within each, interchangeable-lens "
            + "bodies before compacts before phones.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "cameras", value = """
            {"ok": true, "cameras": [{"name": "Alpha 7 II", "make": "Sony", "slug": "alpha-7-ii", "make_slug": "sony",
             "mount": "Sony E", "crop_factor": 1.0, "has_photo": false, "image_url": null, "matched": true,
             "image_count": 2}], "page": 1, "size": 20, "total": 1, "attribution": "..."}""")))
    @APIResponse(responseCode = "400", description = "Bad page or size")
    public Map<String, Object> cameras(@QueryParam("q") String q, @QueryParam("make") String make,
                                       @QueryParam("page") String page, @QueryParam("size") String size) {
        // one query for all the caller's gear: it ranks the hits (own gear first) and fills image_count
        Map<String, Long> counts = usage.allCameras(user.id());
        Page<CameraView> result = paged(() -> catalog.searchCameras(q, make, number(page, 1), number(size, DEFAULT_SIZE),
                counts));
        List<ObjectNode> items = result.items().stream()
                .map(c -> withCount(c, counts.getOrDefault(key(c.makeSlug(), c.slug()), 0L))).toList();
        return pageBody("cameras", items, result);
    }

    @GET
    @Path("/cameras/{make_slug}/{slug}")
    @Operation(summary = "One camera")
    @APIResponse(responseCode = "200", description = "The camera and how many of your images used it")
    @APIResponse(responseCode = "404", description = "Not in the catalogue")
    public Map<String, Object> camera(@PathParam("make_slug") String makeSlug, @PathParam("slug") String slug) {
        CameraView c = catalog.camera(makeSlug, slug)
                .orElseThrow(() -> ApiException.notFound("No camera " + makeSlug + "/" + slug + " in the catalogue."));
        long count = usage.camerasByKey(user.id(), List.of(key(c.makeSlug(), c.slug())))
                .getOrDefault(key(c.makeSlug(), c.slug()), 0L);
        return body("camera", withCount(c, count));
    }

    @GET
    @Path("/lenses")
    @Operation(summary = "Search lenses", description = "By name (`q`: `24-70 2.8 gm`, `ef 50mm 1.8`) and mount name "
            + "or slug (`mount`). Your own lenses (`image_count` > 0) come first, then exact name matches, names "
            + "starting with `q`, lenses whose words are all in `q`'s, the rest.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "lenses", value = """
            {"ok": true, "lenses": [{"exif_name": "FE 55mm F1.8 ZA", "slug": "fe-55mm-f1-8-za",
             "name": "FE 55mm f/1.8 ZA", "make": "Sony", "mount": "Sony E", "focal_min": 55.0, "focal_max": 55.0,
             "aperture_max": 1.8, "matched": true, "image_count": 0}], "page": 1, "size": 20, "total": 1,
             "attribution": "..."}""")))
    @APIResponse(responseCode = "400", description = "Bad page or size")
    public Map<String, Object> lenses(@QueryParam("q") String q, @QueryParam("mount") String mount,
                                      @QueryParam("page") String page, @QueryParam("size") String size) {
        Map<String, Long> counts = usage.allLenses(user.id());
        Page<LensView> result = paged(() -> catalog.searchLenses(q, mount, number(page, 1), number(size, DEFAULT_SIZE),
                counts));
        List<ObjectNode> items = result.items().stream()
                .map(l -> withCount(l, counts.getOrDefault(l.slug(), 0L))).toList();
        return pageBody("lenses", items, result);
    }

    @GET
    @Path("/lenses/{slug}")
    @Operation(summary = "One lens")
    @APIResponse(responseCode = "200", description = "The lens and how many of your images used it")
    @APIResponse(responseCode = "404", description = "Not in the catalogue")
    public Map<String, Object> lens(@PathParam("slug") String slug) {
        LensView l = catalog.lens(slug).orElseThrow(() -> ApiException.notFound("No lens " + slug + " in the catalogue."));
        long count = usage.lensesBySlug(user.id(), List.of(l.slug())).getOrDefault(l.slug(), 0L);
        return body("lens", withCount(l, count));
    }

    @GET
    @Path("/makes")
    @Operation(summary = "Makers in the catalogue", description = "With how many cameras and lenses of each.")
    @APIResponse(responseCode = "200", description = "All makers")
    public Map<String, Object> makes() {
        return body("makes", catalog.makes());
    }

    private ObjectNode withCount(Object view, long count) {
        ObjectNode node = json.valueToTree(view);
        node.put("image_count", count);
        return node;
    }

    private Map<String, Object> body(String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put(field, value);
        body.put("attribution", catalog.attribution());
        return body;
    }

    private Map<String, Object> pageBody(String field, List<ObjectNode> items, Page<?> page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put(field, items);
        body.put("page", page.page());
        body.put("size", page.size());
        body.put("total", page.total());
        body.put("attribution", catalog.attribution());
        return body;
    }

    private static <T> Page<T> paged(java.util.function.Supplier<Page<T>> search) {
        try {
            return search.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_paging", e.getMessage());
        }
    }

    private static int number(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_paging", "page and size must be whole numbers.");
        }
    }

    private static String key(String makeSlug, String slug) {
        return makeSlug + "/" + slug;
    }
}
