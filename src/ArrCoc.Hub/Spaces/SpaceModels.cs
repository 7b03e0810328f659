using System.Text.Json.Serialization;

namespace ArrCoc.Hub;

/// <summary>GET /api/spaces/{id}: the fields deploy reads (private is what the privacy check trusts).</summary>
public sealed record SpaceInfo(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("private")] bool? Private,
    [property: JsonPropertyName("sha")] string? Sha,
    [property: JsonPropertyName("sdk")] string? Sdk,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("subdomain")] string? Subdomain,
    [property: JsonPropertyName("runtime")] SpaceRuntime? Runtime);

/// <summary>GET /api/spaces/{id}/runtime, e.g. {"stage":"BUILDING","hardware":{"current":null,"requested":"cpu-basic"}}.</summary>
public sealed record SpaceRuntime(
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("hardware")] SpaceHardware? Hardware = null,
    [property: JsonPropertyName("errorMessage")] string? ErrorMessage = null,
    [property: JsonPropertyName("domains")] IReadOnlyList<SpaceDomain>? Domains = null)
{
    /// <summary>Stages that still move on their own (huggingface_hub's wait_for_space list).</summary>
    public bool IsMoving => Stage is "BUILDING" or "RUNNING_BUILDING" or "APP_STARTING" or "RUNNING_APP_STARTING";

    public bool IsRunning => Stage == "RUNNING";
}

public sealed record SpaceHardware(
    [property: JsonPropertyName("current")] string? Current,
    [property: JsonPropertyName("requested")] string? Requested);

public sealed record SpaceDomain(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("stage")] string? Stage);

/// <summary>POST /api/spaces/{id}/preupload/{rev} answer for one file.</summary>
internal sealed record PreuploadFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("uploadMode")] string UploadMode,
    [property: JsonPropertyName("shouldIgnore")] bool ShouldIgnore,
    [property: JsonPropertyName("oid")] string? Oid);

internal sealed record PreuploadReply(
    [property: JsonPropertyName("files")] IReadOnlyList<PreuploadFile> Files,
    [property: JsonPropertyName("commitOid")] string? CommitOid);

/// <summary>POST /api/spaces/{id}/commit/{rev} answer.</summary>
public sealed record CommitReply(
    [property: JsonPropertyName("commitOid")] string? CommitOid,
    [property: JsonPropertyName("commitUrl")] string? CommitUrl);

/// <summary>POST /api/repos/create answer (200); a 409 means it exists already.</summary>
internal sealed record CreateRepoReply(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("name")] string? Name);
