DROP TABLE playbook_items;
