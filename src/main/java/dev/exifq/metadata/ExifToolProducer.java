package dev.exifq.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one ExifTool pool of this process, checked against the minimum version before use. */
@ApplicationScoped
public class ExifToolProducer {
    private static final Logger LOG = Logger.getLogger(ExifToolProducer.class);

    @Produces
    @ApplicationScoped
    ExifToolPool pool(ExifToolConfig config) {
        Path exiftool = Path.of(config.path()).toAbsolutePath();
        if (!Files.isRegularFile(exiftool)) {
            throw new IllegalStateException("ExifTool not found at " + exiftool
                    + "; run scripts/install-exiftool and set EXIFQ_EXIFTOOL_PATH to the path it prints");
        }
        ExifToolSettings settings = ExifToolSettings.defaults(exiftool)
                .withPoolSize(config.poolSize().orElse(Runtime.getRuntime().availableProcessors()))
                .withMaxTasksPerProcess(config.maxTasksPerProcess())
                .withMaxResidentBytes(config.maxResidentMemory().asLongValue())
                .withTaskTimeout(config.taskTimeout())
                .withRetries(config.retries())
                .withAcquireTimeout(config.acquireTimeout());
        ExifToolPool pool = new ExifToolPool(settings, config.mode());
        String version = pool.version();
        if (!atLeast(version, config.minVersion())) {
            pool.close();
            throw new IllegalStateException("ExifTool " + version + " at " + exiftool + " is older than the required "
                    + config.minVersion() + "; run scripts/install-exiftool");
        }
        LOG.infof("ExifTool %s, pool of %d processes (%s)", version, settings.poolSize(), config.mode());
        return pool;
    }

    @Produces
    @ApplicationScoped
    MetadataReader reader(ExifToolPool pool) {
        return new MetadataReader(pool);
    }

    @Produces
    @ApplicationScoped
    WritableTags writableTags(ExifToolPool pool) {
        return new WritableTags(pool);
    }

    @Produces
    @ApplicationScoped
    WritableFormats writableFormats(ExifToolPool pool) {
        return new WritableFormats(pool);
    }

    @Produces
    @ApplicationScoped
    MetadataWriter writer(ExifToolPool pool) {
        return new MetadataWriter(pool);
    }

    void close(@Disposes ExifToolPool pool) {
        pool.close();
    }

    static boolean atLeast(String version, String minimum) {
        try {
            return new BigDecimal(version.trim()).compareTo(new BigDecimal(minimum.trim())) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
