"""SalesMagnet: a multi-tenant real-time sales CRM backend."""
