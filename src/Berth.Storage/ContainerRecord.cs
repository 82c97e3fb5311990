namespace Berth.Storage;

/// <summary>A container as stored: the service owns the JSON documents; storage indexes id, name and image.</summary>
public sealed record ContainerRecord(string Id, string Name, string ImageId, DateTimeOffset Created, string ConfigJson, string StateJson);
