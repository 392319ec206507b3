/**
 * Resource ids. Pure.
 *
 * The id is the instance id, as with the dynamic resource. `pulumi import` also takes `<region>/<id>`,
 * for an instance outside the provider's region: an instance id never contains "/" (the model's pattern
 * is `^[-_.a-zA-Z0-9]+$`), so the form is unambiguous. The import's Read returns the bare instance id,
 * which the engine then records (`ImportStep.Apply`: `if read.ID != "" { s.new.ID = read.ID }`).
 */
export interface ParsedId {
    instanceId: string;
    region?: string;
}

export function parseId(id: string): ParsedId {
    const slash = id.indexOf("/");
    if (slash < 0) {
        return { instanceId: id };
    }
    return { region: id.slice(0, slash), instanceId: id.slice(slash + 1) };
}
