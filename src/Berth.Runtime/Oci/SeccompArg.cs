namespace Berth.Runtime.Oci;

/// <summary>A condition on one syscall argument, with libseccomp's operator names (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ…).</summary>
internal sealed record SeccompArg(uint Index, ulong Value, ulong ValueTwo, string Op);
