(function crmVaultFill(request) {
  return { state: location.origin && request.origins.includes(location.origin) ? 'no-form' : 'refused', step: null, filled: [], skippedFrames: 0, needsTotp: false };
})
