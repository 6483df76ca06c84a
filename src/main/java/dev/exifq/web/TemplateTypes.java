package dev.exifq.web;

import dev.exifq.feedback.AdminFeedbackResource;
import dev.exifq.writes.AdminFilesResource;
import io.quarkus.qute.TemplateData;

/** Types of other packages that templates read: Qute needs their accessors generated (no reflection). */
@TemplateData(target = AdminFilesResource.Entry.class)
@TemplateData(target = AdminFeedbackResource.Page.class)
@TemplateData(target = AdminFeedbackResource.Item.class)
@TemplateData(target = ApiReference.Section.class)
@TemplateData(target = ApiReference.Operation.class)
@TemplateData(target = ApiReference.Parameter.class)
@TemplateData(target = ApiReference.Example.class)
@TemplateData(target = ApiReference.Reply.class)
final class TemplateTypes {
    private TemplateTypes() {}
}
