#pragma once
// The admin endpoints; each is a row in admin/routes.cc.
#include "server/admin/admin_router.h"

namespace sml::server::admin {

// GET /_local/health: {"status":"ok","version","uptimeSeconds","secrets",...}
AdminReply Health(const AdminRequest& request, AdminServices& services);
// POST /_local/reset, POST /moto-api/reset: drops every secret of every
// account and region.
AdminReply Reset(const AdminRequest& request, AdminServices& services);

}  // namespace sml::server::admin
