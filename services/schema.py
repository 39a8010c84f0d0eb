"""OpenAPI post-processing: each service module's operations carry the module's tag."""

from services import registry


def tag_module_operations(result, generator, request, public):
    tags = list(result.get("tags", []))
    known = {tag["name"] for tag in tags}
    for module in registry.modules():
        prefix = f"/api/v1/{module.slug}/"
        found = False
        for path, operations in result.get("paths", {}).items():
            if not path.startswith(prefix):
                continue
            found = True
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["tags"] = [module.slug]
        if found and module.slug not in known:
            tags.append({"name": module.slug, "description": str(module.name)})
    if tags:
        result["tags"] = sorted(tags, key=lambda tag: tag["name"])
    return result
