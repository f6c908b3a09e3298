using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ReconMesh.DeployTests;

// The parts of KEDA's CRDs (keda.sh/v1alpha1) that ReconMesh's manifests use. Loading is strict, so a field that is
// misspelt or not modelled here fails the test: add it here when the manifests start using it.

public sealed class KedaScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiGroupVersion = "keda.sh/v1alpha1";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ScaledObject";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public KedaScaledObjectSpec Spec { get; set; } = new();
}

public sealed class KedaScaledObjectSpec
{
    [JsonPropertyName("scaleTargetRef")]
    public KedaScaleTarget ScaleTargetRef { get; set; } = new();

    [JsonPropertyName("minReplicaCount")]
    public int? MinReplicaCount { get; set; }

    [JsonPropertyName("maxReplicaCount")]
    public int? MaxReplicaCount { get; set; }

    [JsonPropertyName("pollingInterval")]
    public int? PollingInterval { get; set; }

    [JsonPropertyName("cooldownPeriod")]
    public int? CooldownPeriod { get; set; }

    [JsonPropertyName("triggers")]
    public IList<KedaTrigger> Triggers { get; set; } = [];
}

public sealed class KedaScaleTarget
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

public sealed class KedaTrigger
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("metadata")]
    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();

    [JsonPropertyName("authenticationRef")]
    public KedaAuthenticationRef? AuthenticationRef { get; set; }
}

public sealed class KedaAuthenticationRef
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

public sealed class KedaTriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KedaScaledObject.ApiGroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "TriggerAuthentication";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public KedaTriggerAuthenticationSpec Spec { get; set; } = new();
}

public sealed class KedaTriggerAuthenticationSpec
{
    [JsonPropertyName("secretTargetRef")]
    public IList<KedaSecretTargetRef> SecretTargetRef { get; set; } = [];
}

public sealed class KedaSecretTargetRef
{
    [JsonPropertyName("parameter")]
    public string Parameter { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("key")]
    public string Key { get; set; } = "";
}
